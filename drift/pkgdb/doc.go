// Package pkgdb reads the package databases of Linux distributions — dpkg's
// status file and info/*.list files, apk's installed database and the rpm
// database (sqlite, ndb or Berkeley DB) — into one Package value per
// installed package, with the files it owns.
//
// The dpkg and apk formats are plain text and parsed here by hand: no
// maintained Go library reads them without pulling in a scanner framework.
// The rpm database is read with github.com/knqyf263/go-rpmdb.
//
// Every parser bounds what it accepts: a database that is malformed is an
// error, never a partial list reported as complete.
package pkgdb
