// Package regfile opens the files a user names on the command line or in a
// configuration (inputs, --config, --values, keys, baselines, archives) and
// refuses anything that is not a regular file before reading it.
//
// A FIFO, a character device such as /dev/zero or a socket given as a path
// would block in open, never end, or stand for no content at all; each is
// refused with the same message. Files are opened with O_NONBLOCK, so even
// a FIFO swapped in after a check never blocks, and the type is checked on
// the open descriptor. Standard input is read through "-", never through a
// path.
package regfile
