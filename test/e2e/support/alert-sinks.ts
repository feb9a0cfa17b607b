/**
 * Where alerts go in the tests: an HTTP receiver that verifies Tandem's signature the way a user's
 * endpoint would (X-Tandem-Signature = sha256=<hex HMAC of "<timestamp>.<body>">) and an SMTP server
 * (smtp-server) that keeps every message. Both on random ports.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedAlert {
  event: string;
  body: { id: string; type: string; subject: string; text: string; data: { items: Array<{ sku: string; location: string; available: number; threshold: number }> }; at: string };
}

export interface AlertReceiver {
  url: string;
  /** Deliveries whose signature verified. */
  alerts: ReceivedAlert[];
  /** Deliveries refused (bad or missing signature). */
  refused: number;
  close(): Promise<void>;
}

export async function startAlertReceiver(secret: string): Promise<AlertReceiver> {
  const alerts: ReceivedAlert[] = [];
  let refused = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const ts = String(req.headers['x-tandem-timestamp'] ?? '');
      const given = Buffer.from(String(req.headers['x-tandem-signature'] ?? ''));
      const wanted = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${ts}.`).update(raw).digest('hex')}`);
      if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
        refused += 1;
        res.writeHead(401).end();
        return;
      }
      alerts.push({ event: String(req.headers['x-tandem-event']), body: JSON.parse(raw.toString('utf8')) as ReceivedAlert['body'] });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/tandem`,
    alerts,
    get refused() {
      return refused;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface MailMessage {
  from: string;
  to: string[];
  raw: string;
  subject: string;
}

export interface MailSink {
  url: string;
  messages: MailMessage[];
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<MailSink> {
  const messages: MailMessage[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const subject = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw)?.[1]?.replace(/\r\n[ \t]/g, ' ') ?? '';
        messages.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, subject });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
