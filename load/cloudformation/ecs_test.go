package cloudformation

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

// TestECSResources checks that ECS task definitions and services in a
// template are judged like ECS JSON definitions.
func TestECSResources(t *testing.T) {
	t.Parallel()
	doc := `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Tag: {Type: String}
Resources:
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      NetworkMode: host
      Volumes:
        - Name: data
          Host: {SourcePath: /var/lib/data}
      ContainerDefinitions:
        - Name: web
          Image: !Sub "ghcr.io/acme/web:${Tag}"
          Privileged: true
          PortMappings:
            - ContainerPort: 22
          Command: ["sh", "-c", "apt-get install -y curl"]
        - Name: good
          Image: ghcr.io/acme/web:1@sha256:4c8c1a4f2e1d0b3a9e8f7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928
          ReadonlyRootFilesystem: true
          HealthCheck: {Command: ["CMD", "true"]}
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      DeploymentConfiguration:
        DeploymentCircuitBreaker: {Enable: true, Rollback: false}
  Blue:
    Type: AWS::ECS::Service
    Properties:
      DeploymentController: {Type: CODE_DEPLOY}
  Safe:
    Type: AWS::ECS::Service
    Properties:
      DeploymentConfiguration:
        DeploymentCircuitBreaker: {Enable: true, Rollback: true}
`
	f := Load("template.yaml", []byte(doc))
	if len(f.Problems) != 0 {
		t.Fatal(f.Problems)
	}
	want := []string{
		"host-path-volume:11",
		"image-not-pinned:14", // !Sub with a parameter cannot be checked
		"missing-health-probe:13",
		"no-automatic-rollback:28",
		"privileged-instance:15",
		"privileged-instance:8",
		"runtime-package-install:18",
		"ssh-access:17",
		"writable-root-filesystem:13",
	}
	if diff := cmp.Diff(want, loadtest.Findings(t, f)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
