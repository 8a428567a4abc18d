import type { EventSink, OptimizerEvent } from '../../src/ports/event-sink.js';

/**
 * An event sink that keeps what it is given. It refuses every publish while
 * `failing`, and a publish with an event `refuses` picks (the whole call, as a
 * rejected PutEvents does); refused events are not kept.
 */
export class RecordingSink implements EventSink {
  readonly events: OptimizerEvent[] = [];
  failing = false;

  constructor(private readonly refuses: (event: OptimizerEvent) => boolean = () => false) {}

  async publish(events: readonly OptimizerEvent[]): Promise<void> {
    if (this.failing) throw new Error('EventBridge is unavailable');
    const refused = events.filter(this.refuses);
    if (refused.length > 0) throw new Error(`PutEvents failed for ${refused.length} entry`);
    this.events.push(...events);
  }

  conversions(): OptimizerEvent[] {
    return this.events.filter((event) => event.detailType === 'WorkSpace Running Mode Changed');
  }

  failures(): OptimizerEvent[] {
    return this.events.filter((event) => event.detailType === 'WorkSpace Running Mode Change Failed');
  }
}
