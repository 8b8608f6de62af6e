// Package ecs loads Amazon ECS task definitions and service definitions
// written as JSON: the input of `aws ecs register-task-definition` and
// `aws ecs create-service --cli-input-json`, and the output of
// `aws ecs describe-task-definition` and `aws ecs describe-services`.
//
// A task definition becomes a model.Workload whose containers are its
// container definitions; a service becomes a model.Workload that carries
// the service's rollback setting (the deployment circuit breaker). Field
// names follow the ECS API reference; fields the API does not know are
// reported as unknown, since ECS rejects them at registration.
package ecs
