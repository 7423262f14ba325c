import { WebhookReceiver } from './webhook-receiver.js';

// `node examples/dist/webhook-sink/receiver-main.js [port]`: a local receiver to try the webhook sink against; prints
// one line per stored event and stops on Ctrl-C.
const receiver = new WebhookReceiver();
const port = Number(process.argv[2] ?? '8080');
const url = await receiver.start(Number.isSafeInteger(port) ? port : 8080);
process.stdout.write(`webhook receiver listening on ${url}\n`);
let printed = 0;
const timer = setInterval(() => {
  for (const e of receiver.events.slice(printed)) {
    process.stdout.write(
      `${e.id} ${e.type} ${e.schema}${e.table === undefined || e.table === '' ? '' : `.${e.table}`}\n`,
    );
  }
  printed = receiver.events.length;
}, 200);
process.once('SIGINT', () => {
  clearInterval(timer);
  const { requests, duplicates } = receiver.stats;
  process.stdout.write(
    `${receiver.events.length} events stored, ${requests} requests, ${duplicates} duplicates ignored\n`,
  );
  void receiver.close();
});
