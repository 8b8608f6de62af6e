FROM busybox:1.36 AS base
CMD ["inherited"]
ENTRYPOINT ["/base"]
EXPOSE 80

FROM base
ENTRYPOINT ["/entry"]
