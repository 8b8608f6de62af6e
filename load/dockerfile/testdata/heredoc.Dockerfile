# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN <<EOF
apk add --no-cache openssh-server
ENV NOT_AN_INSTRUCTION=1
EOF
RUN <<-SCRIPT bash
	set -e
	echo tabs are stripped
	SCRIPT
RUN python3 <<PY > /out.txt
print("hi")
PY
COPY <<CONF /etc/app.conf
FROM not-a-base
CONF
CMD /usr/sbin/sshd -D
