// Package corpus locates the shared corpus of real-world inputs for tests:
// $IMMUTCHECK_CORPUS, or shared/corpus in a folder above the repository
// root. A test that needs it is skipped when it is missing, unless the env
// var CI is set: then it fails. It is imported only by tests.
package corpus
