"""An EHR's MLLP receiver for tests, built on python-hl7's asyncio MLLP server (Debian's
python3-hl7): it ACKs each HL7 message and appends it to a file, one JSON line per message.

usage: mllp_peer.py PORT OUTFILE [--refuse N] [--tls CERT KEY]
  --refuse: answer AE to the first N messages; --tls: listen over TLS with this certificate
"""
import asyncio
import json
import ssl
import sys

import hl7
from hl7.mllp import start_hl7_server

port = int(sys.argv[1])
outfile = sys.argv[2]
refuse = int(sys.argv[sys.argv.index("--refuse") + 1]) if "--refuse" in sys.argv else 0
tls = None
if "--tls" in sys.argv:
    at = sys.argv.index("--tls")
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(sys.argv[at + 1], sys.argv[at + 2])
seen = 0


async def receive(reader, writer):
    global seen
    try:
        while not reader.at_eof():
            message = await reader.readmessage()
            seen += 1
            code = "AE" if seen <= refuse else "AA"
            if code == "AA":
                with open(outfile, "a", encoding="utf-8") as out:
                    out.write(json.dumps({"controlId": str(message.segment("MSH")[10]), "message": str(message)}) + "\n")
            writer.writemessage(message.create_ack(ack_code=code))
            await writer.drain()
    except asyncio.IncompleteReadError:
        pass
    finally:
        writer.close()


async def main():
    server = await start_hl7_server(receive, "127.0.0.1", port, ssl=tls)
    print("listening", flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
