/**
 * A TCP proxy for fault-injection tests: forwards 127.0.0.1:<port> to a target, can add a delay
 * to every chunk in both directions (a slow dependency), and can go `down` (every open connection
 * reset, new ones refused: the dependency was killed) and come back `up` on the same port (the
 * dependency was restarted). Uses only `node:net`.
 */
import net from "node:net";

export interface TcpProxy {
  readonly port: number;
  /** Delay of every forwarded chunk, in milliseconds (0: none). */
  setDelay(ms: number): void;
  /** Resets every open connection and stops listening (connections are refused). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let delayMs = 0;
  const sockets = new Set<net.Socket>();

  const pipe = (from: net.Socket, to: net.Socket) => {
    from.on("data", (chunk) => {
      if (delayMs === 0) to.write(chunk);
      else {
        from.pause();
        setTimeout(() => {
          if (!to.destroyed) to.write(chunk);
          from.resume();
        }, delayMs);
      }
    });
    from.on("end", () => to.end());
    from.on("error", () => to.destroy());
    from.on("close", () => to.destroy());
  };

  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    }
    pipe(client, upstream);
    pipe(upstream, client);
  });

  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  const port = await listen(0);

  const down = async () => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.resetAndDestroy();
    await closed;
  };

  return {
    port,
    setDelay(ms) {
      delayMs = ms;
    },
    down,
    async up() {
      if (!server.listening) await listen(port);
    },
    close: down,
  };
}
