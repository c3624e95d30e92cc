#!/usr/bin/env python3
"""A tiny SMTP sink for bench/hardening.sh: accepts every message on 127.0.0.1:PORT and
appends its Message-ID (one a line) to DIR/ids.txt, so the script can count deliveries
and duplicates. Stop it with SIGTERM/SIGKILL to simulate the mail server being down.

    python3 bench/hardening/smtp_sink.py PORT DIR
"""
import asyncio
import email.parser
import os
import sys


class Session:
    def __init__(self, ids_path):
        self.ids_path = ids_path

    async def handle(self, reader, writer):
        def reply(line):
            writer.write((line + "\r\n").encode())

        reply("220 sink ESMTP")
        await writer.drain()
        while True:
            line = await reader.readline()
            if not line:
                break
            verb = line.decode("latin-1").strip().split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                reply("250-sink")
                reply("250-8BITMIME")
                reply("250-SMTPUTF8")
                reply("250 PIPELINING")
            elif verb == "DATA":
                reply("354 go ahead")
                await writer.drain()
                chunks = []
                while True:
                    data = await reader.readline()
                    if not data or data in (b".\r\n", b".\n"):
                        break
                    chunks.append(data[1:] if data.startswith(b"..") else data)
                headers = email.parser.BytesHeaderParser().parsebytes(b"".join(chunks))
                with open(self.ids_path, "a") as out:
                    out.write((headers.get("Message-ID") or "<none>").strip() + "\n")
                reply("250 queued")
            elif verb == "QUIT":
                reply("221 bye")
                await writer.drain()
                break
            else:  # MAIL, RCPT, RSET, NOOP
                reply("250 ok")
            await writer.drain()
        writer.close()


async def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    session = Session(os.path.join(directory, "ids.txt"))
    server = await asyncio.start_server(session.handle, "127.0.0.1", port, reuse_address=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
