"""Independent check of an e-visa token with public Python libraries (pycose, cbor2, base45).

    pip install pycose 'cbor2<6' base45   # pycose 1.1 does not read cbor2 6's tuples
    python3 docs/check_token.py keys/dev-issuer.pub shared/tests/vectors/valid.txt
"""
import hashlib
import sys

import base45
import cbor2
from cryptography.hazmat.primitives import serialization
from pycose.keys import OKPKey
from pycose.messages import CoseMessage

pub_path, token_path = sys.argv[1], sys.argv[2]
token = open(token_path).read().rstrip("\r\n")
assert token.startswith("KZV1:"), "version prefix"
message = CoseMessage.decode(base45.b45decode(token[len("KZV1:"):]))

public = serialization.load_pem_public_key(open(pub_path, "rb").read())
raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
print("kid of the key   ", hashlib.sha256(raw).digest()[:8].hex())
for label, value in message.phdr.items():
    print(f"header {label.__name__:10}", value.hex() if isinstance(value, bytes) else value.__name__)
message.key = OKPKey(crv="Ed25519", x=raw)
print("signature valid  ", message.verify_signature())
for key, value in sorted(cbor2.loads(message.payload).items()):
    print(f"claim {key:2}         ", value)
