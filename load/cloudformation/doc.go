// Package cloudformation loads AWS CloudFormation templates (YAML with the
// short intrinsic tags !Ref, !Sub, !GetAtt, ..., and JSON) and change sets
// as printed by `aws cloudformation describe-change-set`.
//
// Both are read with go.yaml.in/yaml/v3 into nodes, which keeps line
// numbers for JSON too. A template's resources become model.Resource
// values with the settings rules judge (UpdatePolicy, launch template
// versions, security group ingress, key pairs, UserData,
// AWS::CloudFormation::Init); a change set's Changes become
// model.PlannedChange values. Intrinsic functions are not evaluated: they
// are kept as written (tfres.Ref), except that Fn::Base64, Fn::Sub and
// Fn::Join are looked through to read boot scripts.
package cloudformation
