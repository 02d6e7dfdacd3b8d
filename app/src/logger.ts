import { pino, type Logger } from 'pino';

/** Paths pino blanks out wherever they appear: secrets never reach the logs. */
export const REDACT_PATHS = [
  '*.token',
  '*.botToken',
  '*.signingSecret',
  '*.appToken',
  '*.webhookSecret',
  '*.privateKey',
  '*.secretAccessKey',
  '*.value',
  'headers.authorization',
  'headers["x-slack-signature"]',
  'headers["x-hub-signature-256"]',
  'req.headers.authorization',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'envbot' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
