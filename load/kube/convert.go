package kube

import "sigs.k8s.io/yaml"

// toJSON converts one YAML (or JSON) document to JSON exactly as kubectl
// and the API server do: sigs.k8s.io/yaml's strict conversion, with YAML 1.1
// scalars ("yes", "on", "y" are true, also as mapping keys, which become
// "true"), integers kept as written, and duplicate keys an error rather
// than last-wins. A document holding nothing converts to "null".
func toJSON(doc []byte) ([]byte, error) {
	return yaml.YAMLToJSONStrict(doc)
}
