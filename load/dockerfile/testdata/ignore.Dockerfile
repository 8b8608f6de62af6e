# immutcheck:ignore base-image-not-pinned this is not an instruction's block

# immutcheck:ignore base-image-not-pinned,image-latest-tag built by CI from a pinned mirror
# an unrelated comment between
FROM alpine
    #immutcheck:ignore ssh-access
EXPOSE 22
# immutcheck:ignore add-url-without-checksum, ssh-access	upstream publishes no checksum
ADD https://example.com/x.tar.gz /x
# immutcheck:ignored not a suppression
# immutcheck:ignore
RUN true
