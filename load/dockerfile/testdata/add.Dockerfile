FROM busybox:1.36
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a.tar.gz /a/
ADD http://example.com/b.tar.gz \
    local.txt /b/
ADD --keep-git-dir git@github.com:moby/buildkit.git#v0.10.1 /src
ADD --checksum=b6a8c2c4 https://github.com/moby/buildkit.git#v0.10.1 /src2
COPY https://example.com/not-fetched /c
ONBUILD ADD https://example.com/later /d
ENTRYPOINT /bin/sh -c 'sleep infinity'
