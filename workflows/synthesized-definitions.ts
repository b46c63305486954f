import { App, CfnElement } from 'aws-cdk-lib';
import { buildApp } from '../infra/app.js';
import { STATE_MACHINE_IDS } from '../infra/stack.js';
import type { MachineKey } from '../shared/workflows/engine.js';
import type { AslDefinition } from './local-runner/definition-transform.js';

/** The function a Task resolves to locally: `arn:local:lambda:<construct path>`. */
export const LOCAL_FUNCTION_PREFIX = 'arn:local:lambda:';

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

/**
 * Synthesizes the CDK app in-process (without bundling the Lambdas) and
 * returns the state-machine definitions exactly as they would be deployed,
 * with Lambda ARNs resolved to local function references. Synthesis takes
 * about a second and depends only on the code, so it runs once per process;
 * each caller gets its own copy.
 */
export function synthesizeDefinitions(): Record<MachineKey, AslDefinition> {
  synthesized ??= synthesize();
  return structuredClone(synthesized);
}

let synthesized: Record<MachineKey, AslDefinition> | undefined;

function synthesize(): Record<MachineKey, AslDefinition> {
  const { app, stack } = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [] } }));
  const template = app.synth().getStackByName(stack.stackName).template as Template;
  const paths = new Map<string, string>();
  for (const c of stack.node.findAll()) {
    if (CfnElement.isCfnElement(c)) paths.set(stack.resolve(c.logicalId) as string, c.node.path);
  }
  return definitionsFromTemplate(template, paths);
}

/** Extracts the definitions; `paths` maps logical ids to construct paths. */
export function definitionsFromTemplate(template: Template, paths: Map<string, string>): Record<MachineKey, AslDefinition> {
  const pathOf = (logicalId: string) => paths.get(logicalId) ?? logicalId;
  const out: Partial<Record<MachineKey, AslDefinition>> = {};
  for (const [key, id] of Object.entries(STATE_MACHINE_IDS) as Array<[MachineKey, string]>) {
    const logicalId = Object.keys(template.Resources).find((lid) => template.Resources[lid]!.Type === 'AWS::StepFunctions::StateMachine' && pathOf(lid).endsWith(`/${id}/Resource`));
    if (!logicalId) throw new Error(`The synthesized template has no state machine ${id}`);
    out[key] = JSON.parse(resolveIntrinsic(template.Resources[logicalId]!.Properties?.DefinitionString, pathOf)) as AslDefinition;
  }
  return out as Record<MachineKey, AslDefinition>;
}

function resolveIntrinsic(value: unknown, pathOf: (logicalId: string) => string): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (v['Fn::Join']) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => resolveIntrinsic(p, pathOf)).join(sep);
  }
  if (v['Fn::GetAtt']) {
    const [logicalId] = v['Fn::GetAtt'] as [string, string];
    return `${LOCAL_FUNCTION_PREFIX}${pathOf(logicalId).replace(/\/Resource$/, '')}`;
  }
  if (v.Ref === 'AWS::Partition') return 'aws';
  if (v.Ref === 'AWS::Region') return 'local';
  if (v.Ref === 'AWS::AccountId') return '000000000000';
  if (typeof v.Ref === 'string') return `${LOCAL_FUNCTION_PREFIX}${pathOf(v.Ref)}`;
  throw new Error(`Cannot resolve ${JSON.stringify(value)} in a state-machine definition`);
}
