import { Command, Option } from 'commander';
import { parseInstant } from '../dates.js';
import { printError, printWarning } from '../io.js';
import { getAction, RegtrailError, resolveActionId } from '@regtrail/core/catalog';
import {
  createEmitter,
  fileSink,
  memorySink,
  serializeEvent,
  type CredentialType,
  type EmitInput,
  type InitiatorKind,
  type Outcome,
  type TargetInput,
} from '@regtrail/core/emit';
import { openDelivery, type Delivery } from '../delivery/open.js';
import { deliveryOptions, type DeliveryCliOptions } from '../delivery/options.js';
import { deliveredAll, deliveryLine, deliveryNotes } from '../delivery/report.js';
import { EXIT } from '../io.js';

interface EmitOptions extends Partial<DeliveryCliOptions> {
  account: string;
  region: string;
  instanceId?: string;
  namespace?: string;
  image?: string;
  digest?: string;
  resource?: string;
  initiatorId: string;
  initiatorName?: string;
  initiatorType?: InitiatorKind;
  credential?: CredentialType;
  ip?: string;
  outcome?: Outcome;
  status?: string;
  reasonType?: string;
  reasonForFailure?: string;
  requestData?: string;
  responseData?: string;
  correlationId?: string;
  time?: string;
  id?: string;
  serviceCopy: boolean;
  out?: string;
}

function jsonOption(text: string | undefined, name: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RegtrailError('BAD_JSON', `${name} is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new RegtrailError('BAD_JSON', `${name} must be a JSON object, such as '{"RequestParameters":{"name":"us.icr.io/ns/app:1.0"}}'`);
  return value as Record<string, unknown>;
}

/** The option that names a target of this kind. */
const targetOption = (kind: string) => (kind === 'image' ? '--image REF' : kind === 'namespace' ? '--namespace NAME' : `--resource ${kind}:ID`);

function targetOf(opts: EmitOptions): TargetInput | undefined {
  if (opts.image !== undefined) return { type: 'image', reference: opts.image, ...(opts.digest ? { digest: opts.digest } : {}) };
  if (opts.digest !== undefined) throw new RegtrailError('BAD_OPTION', '--digest goes with --image');
  if (opts.namespace !== undefined) return { type: 'namespace', name: opts.namespace };
  if (opts.resource !== undefined) {
    const colon = opts.resource.indexOf(':');
    if (colon <= 0 || colon === opts.resource.length - 1) throw new RegtrailError('BAD_OPTION', `--resource ${JSON.stringify(opts.resource)} must be TYPE:ID, such as exemption:1234`);
    const resourceType = opts.resource.slice(0, colon);
    const id = opts.resource.slice(colon + 1);
    return resourceType === 'exemption' ? { type: 'exemption', id } : { type: 'resource', resourceType, id };
  }
  return undefined;
}

function timeOf(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseInstant(text, '--time', 'an ISO date-time such as 2025-03-01T12:00:00Z');
}

export function emitCommand(): Command {
  const cmd = new Command('emit')
    .description('Build one event with the reference emitter, validate it and print it as one JSON line.')
    .argument('<action>', 'an action id, such as image.push')
    .requiredOption('--account <id>', 'the customer account id')
    .requiredOption('--region <region>', 'the region the service runs in (us-south, ap-north, jp.icr.io, ...)')
    .option('--instance-id <id>', 'service instance segment of logSourceCRN')
    .addOption(new Option('--namespace <name>', 'the target is this namespace').conflicts(['image', 'resource']))
    .addOption(new Option('--image <ref>', 'the target is this image, such as us.icr.io/ns/app:1.0').conflicts(['resource']))
    .option('--digest <digest>', "the image's digest when --image names a tag")
    .option('--resource <type:id>', 'the target is another resource, such as exemption:1234 (default: the account, for actions that act on it)')
    .requiredOption('--initiator-id <id>', 'IAM id of the caller, such as IBMid-310000ABCD or iam-ServiceId-1234')
    .option('--initiator-name <name>', 'name of the caller (default: its id)')
    .addOption(new Option('--initiator-type <type>', 'kind of caller (default: from the id)').choices(['user', 'serviceid', 'certificateid', 'clientid']))
    .addOption(
      new Option('--credential <type>', 'credential type').choices([
        'token', 'user', 'apikey', 'certificate', 'public-access', 'hmac', 'compute-resource', 'instance-identity-token', 'apikey-serviceid', 's2s-authorization',
      ]),
    )
    .option('--ip <address>', 'originating IP address (default: none, as when an IBM service calls)')
    .addOption(new Option('--outcome <outcome>', 'default: from --status').choices(['success', 'pending', 'failure']))
    .option('--status <code>', 'HTTP status code (default 200, or 500 for a failure)')
    .option('--reason-type <text>', 'reason type (default: the status text)')
    .option('--reason-for-failure <text>', 'why it failed')
    .option('--request-data <json>', 'requestData as a JSON object')
    .option('--response-data <json>', 'responseData as a JSON object')
    .option('--correlation-id <id>', 'id that correlates events across services')
    .option('--time <iso>', 'event time (default: now), such as 2025-03-01T12:00:00Z')
    .option('--id <id>', 'event id (default: a random UUID)')
    .option('--no-service-copy', 'set saveServiceCopy to false')
    .option('--out <file>', 'also append the event to this NDJSON file');
  return deliveryOptions(cmd, { required: false })
    .action(async (actionText: string, opts: EmitOptions) => {
      const action = resolveActionId(actionText);
      let status: number | undefined;
      if (opts.status !== undefined) {
        status = Number(opts.status);
        if (!/^\d{3}$/.test(opts.status) || status < 100 || status > 599) throw new RegtrailError('BAD_OPTION', `invalid --status ${JSON.stringify(opts.status)}: expected an HTTP status code such as 200 or 404`);
      }
      const time = timeOf(opts.time);
      if (opts.sink !== undefined && opts.out !== undefined) throw new RegtrailError('BAD_OPTION', '--out and --sink cannot be used together');
      if (opts.sink === undefined) {
        const stray = (['spool', 'tokenEnv', 'deadLetter'] as const).find((k) => opts[k] !== undefined);
        if (stray) throw new RegtrailError('BAD_OPTION', `--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --sink`);
      }
      // With --sink, the event is also delivered (HTTP, or published to a JetStream stream).
      const delivery: Delivery | undefined = opts.sink !== undefined ? await openDelivery({ ...opts, sink: opts.sink, progress: false }) : undefined;
      const sink = delivery ? delivery.sink : opts.out !== undefined ? fileSink(opts.out) : memorySink();
      const emitter = createEmitter({
        accountId: opts.account,
        region: opts.region,
        ...(opts.instanceId !== undefined ? { instanceId: opts.instanceId } : {}),
        sink,
        ...(time !== undefined ? { clock: () => time } : {}),
        ...(opts.id !== undefined ? { newId: () => opts.id! } : {}),
        serviceCopy: opts.serviceCopy,
        warn: printWarning,
      });
      const target = targetOf(opts);
      const requestData = jsonOption(opts.requestData, '--request-data');
      const responseData = jsonOption(opts.responseData, '--response-data');
      const input: EmitInput<string> = {
        initiator: {
          id: opts.initiatorId,
          ...(opts.initiatorName !== undefined ? { name: opts.initiatorName } : {}),
          ...(opts.initiatorType !== undefined ? { type: opts.initiatorType } : {}),
          ...(opts.credential !== undefined ? { credential: opts.credential } : {}),
          ...(opts.ip !== undefined ? { ip: opts.ip } : {}),
        },
        ...(target ? { target } : {}),
        ...(opts.outcome !== undefined ? { outcome: opts.outcome } : {}),
        ...(status !== undefined ? { status } : {}),
        ...(opts.reasonType !== undefined ? { reasonType: opts.reasonType } : {}),
        ...(opts.reasonForFailure !== undefined ? { reasonForFailure: opts.reasonForFailure } : {}),
        ...(requestData ? { requestData } : {}),
        ...(responseData ? { responseData } : {}),
        ...(opts.correlationId !== undefined ? { correlationId: opts.correlationId } : {}),
      };
      try {
        const event = await emitter.emit(action as never, input as never);
        process.stdout.write(`${serializeEvent(event)}\n`);
      } catch (err) {
        // The library names the target input; here the options that give it.
        if (err instanceof RegtrailError && err.code === 'MISSING_TARGET') throw new RegtrailError(err.code, `${err.message.slice(0, err.message.indexOf(':'))}: give ${getAction(action).targets.map(targetOption).join(' or ')}`);
        throw err;
      } finally {
        if (delivery) {
          const result = await delivery.finish();
          deliveryNotes(result);
          if (!deliveredAll(result, undefined)) {
            printError(`the event was not delivered: ${deliveryLine(result.stats)}`);
            process.exitCode = EXIT.failed;
          }
        } else {
          await emitter.close();
        }
      }
    });
}
