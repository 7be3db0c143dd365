const server = Bun.serve({ port: 0, hostname: "127.0.0.1",
  tls: { cert: Bun.file("p256.pem"), key: Bun.file("p256.key") },
  fetch() { return new Response("ok\n"); } });
console.log("ACCEPT 127.0.0.1:" + server.port);
