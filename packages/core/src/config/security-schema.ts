import { z } from 'zod';
import { meta } from './schema-helpers.js';

/** `[security]`, `[syncer.to.security]`, `[syncer.to.checkpoint.security]`: TLS files (Go `security.Config`). */
export const securitySchema = z.strictObject({
  'ssl-ca': meta(z.string().default(''), {
    description: 'Path of the PEM file with the trusted CAs. TLS is used only when this is set.',
  }),
  'ssl-cert': meta(z.string().default(''), { description: 'Path of the client certificate (PEM).' }),
  'ssl-key': meta(z.string().default(''), { description: 'Path of the client private key (PEM).' }),
  'cert-allowed-cn': meta(z.array(z.string()).default([]), {
    description: 'Common names allowed to connect to our own listener (checked only when TLS is on).',
  }),
});
export type SecurityToml = z.output<typeof securitySchema>;
