import type { Redactor } from "../security/redactor.ts";
import { EVENT_SCHEMA_VERSION, type EventData, type EventType, type RunEvent } from "./event.ts";

export type EventSink = (event: RunEvent) => void;

/**
 * Numbers, stamps and redacts events, then hands them to every sink. Redaction happens here and
 * nowhere else, so no presenter, log or artifact can see a secret.
 */
export class EventBus {
  private seq = 0;

  constructor(
    readonly runId: string,
    /** What every event is redacted by; the executor adds the secrets it finds as the run goes. */
    readonly redactor: Redactor,
    private readonly sinks: EventSink[] = [],
  ) {}

  subscribe(sink: EventSink): void {
    this.sinks.push(sink);
  }

  publish<T extends EventType>(type: T, data: EventData<T>, stepId?: string): void {
    this.send({
      schema_version: EVENT_SCHEMA_VERSION,
      type,
      run_id: this.runId,
      seq: ++this.seq,
      timestamp: new Date().toISOString(),
      ...(stepId !== undefined ? { step_id: stepId } : {}),
      data,
    } as RunEvent);
  }

  /** A fleet event about `host`, numbered in this bus's sequence. */
  publishForHost<T extends EventType>(host: string, type: T, data: EventData<T>): void {
    this.send({ schema_version: EVENT_SCHEMA_VERSION, type, run_id: this.runId, seq: ++this.seq, timestamp: new Date().toISOString(), host, data } as RunEvent);
  }

  /** An event of a host's own run, tagged with the host; it keeps that run's id and sequence. */
  forward(host: string, event: RunEvent): void {
    this.send({ ...event, host });
  }

  private send(event: RunEvent): void {
    const safe = this.redactor.value(event);
    for (const sink of this.sinks) sink(safe);
  }
}
