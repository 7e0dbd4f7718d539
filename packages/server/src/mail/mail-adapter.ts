/**
 * Outgoing mail (password reset, email verification) behind one small interface. SMTP through nodemailer
 * when SMTP_URL is set; otherwise each message is appended to DATA_DIR/mail.log (one JSON line) and printed,
 * so a fresh install — and the tests — can follow the links without a mail server.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { ServerConfig } from '../config/config.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface MailAdapter {
  send(message: MailMessage): Promise<void>;
}

export class FileMailAdapter implements MailAdapter {
  constructor(
    private readonly file: string,
    private readonly echo: boolean,
  ) {}

  async send(message: MailMessage): Promise<void> {
    mkdirSync(path.dirname(this.file), { recursive: true });
    appendFileSync(this.file, `${JSON.stringify({ at: new Date().toISOString(), ...message })}\n`);
    if (this.echo) console.log(`[mail] to ${message.to}: ${message.subject}\n${message.text}`);
  }
}

export class SmtpMailAdapter implements MailAdapter {
  private readonly transport;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(url);
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.from, ...message });
  }
}

export function createMailAdapter(config: ServerConfig): MailAdapter {
  if (config.smtpUrl) return new SmtpMailAdapter(config.smtpUrl, config.mailFrom);
  return new FileMailAdapter(path.join(config.dataDir, 'mail.log'), config.logLevel !== 'silent');
}
