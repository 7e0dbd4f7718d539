/** A minimal LiveQuery client over raw WebSocket frames, for asserting the protocol exactly. */
import WebSocket from 'ws';

export class FrameClient {
  readonly frames: any[] = [];
  private waiters: Array<{ test: (f: any) => boolean; resolve: (f: any) => void }> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(frame)) return true;
        w.resolve(frame);
        return false;
      });
    });
  }

  static async open(url: string): Promise<FrameClient> {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return new FrameClient(socket);
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  next(test: (frame: any) => boolean, timeoutMs = 3000): Promise<any> {
    const found = this.frames.find(test);
    if (found) {
      this.frames.splice(this.frames.indexOf(found), 1);
      return Promise.resolve(found);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`)),
        timeoutMs,
      );
      this.waiters.push({
        test,
        resolve: (frame) => {
          clearTimeout(timer);
          this.frames.splice(this.frames.indexOf(frame), 1);
          resolve(frame);
        },
      });
    });
  }

  /** Frames received for a request id during the next `ms`, to assert that nothing arrives. */
  async quiet(ms = 300): Promise<any[]> {
    await new Promise((r) => setTimeout(r, ms));
    return this.frames.splice(0);
  }

  close(): void {
    this.socket.close();
  }
}

export const liveUrl = (serverURL: string): string => serverURL.replace(/^http/, 'ws');
