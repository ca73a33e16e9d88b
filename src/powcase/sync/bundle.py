"""The bundle on the wire: a signed envelope around a payload encrypted to one office.

    {"powcase_bundle": 1, "kind", "from", "to", "number", "ephemeral", "nonce", "ciphertext",
     "signer", "signature"}

- The payload (JSON: the manifest of chain heads, the rows, the data keys of cases new to the
  recipient) is encrypted with AES-256-GCM under a key agreed between a fresh X25519 key of the
  sender and the recipient's registered X25519 key, so only the recipient opens it; the header is
  its associated data, so a payload cannot be moved under another header.
- The sender signs the whole envelope but the signature with its Ed25519 key. The signature is
  checked against the key registered at enrolment, before anything is decrypted.
- ``number`` counts the bundles one office sent another: an older one is a replay.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from powcase.store.codec import canonical
from powcase.sync.errors import BundleRefused
from powcase.sync.identity import OfficeIdentity, public_hex

FORMAT = 1
_HEADER = ("powcase_bundle", "kind", "from", "to", "number", "ephemeral", "signer")


@dataclass(frozen=True)
class Envelope:
    """A bundle's header as read from the file, before its signature is checked."""

    kind: str
    sender: str
    recipient: str
    number: int
    signer: str  # the sender's Ed25519 public key, hex: read, never trusted on its own
    fields: dict[str, Any]


def _key(shared: bytes, header: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"powcase/bundle/" + header).derive(shared)


def seal(sender: OfficeIdentity, recipient_name: str, recipient_agreement: str, kind: str, number: int,
         payload: dict[str, Any]) -> bytes:
    ephemeral = X25519PrivateKey.generate()
    header = {
        "powcase_bundle": FORMAT, "kind": kind, "from": sender.name, "to": recipient_name, "number": number,
        "ephemeral": public_hex(ephemeral.public_key()), "signer": sender.signing_public,
    }
    aad = canonical(header)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(bytes.fromhex(recipient_agreement)))
    nonce = os.urandom(12)
    body = AESGCM(_key(shared, aad)).encrypt(nonce, canonical(payload), aad)
    envelope = {**header, "nonce": _b64(nonce), "ciphertext": _b64(body)}
    envelope["signature"] = _b64(sender.signing.sign(canonical(envelope)))
    return canonical(envelope) + b"\n"


def read_envelope(data: bytes) -> Envelope:
    """The header, or a refusal naming why the file is not a whole bundle."""
    try:
        fields = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise BundleRefused("bundle: not a whole powcase bundle (truncated or not a bundle file)") from None
    if not isinstance(fields, dict) or fields.get("powcase_bundle") != FORMAT:
        raise BundleRefused("bundle: not a powcase bundle of a format this version reads")
    missing = [k for k in (*_HEADER, "nonce", "ciphertext", "signature") if not isinstance(fields.get(k), str | int)]
    if missing:
        raise BundleRefused(f"bundle: its header lacks {', '.join(missing)} (truncated or altered)")
    if not isinstance(fields["number"], int):
        raise BundleRefused("bundle: its number is not a number (altered)")
    return Envelope(str(fields["kind"]), str(fields["from"]), str(fields["to"]), fields["number"], str(fields["signer"]), fields)


def verify_signature(envelope: Envelope, signing_public: str) -> None:
    fields = dict(envelope.fields)
    signature = fields.pop("signature")
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(signing_public)).verify(_unb64(signature), canonical(fields))
    except (InvalidSignature, ValueError):
        raise BundleRefused(
            f"bundle from {envelope.sender}: its signature does not verify with the key registered for {envelope.sender} "
            "(altered, or not made by that office)"
        ) from None


def open_payload(envelope: Envelope, me: OfficeIdentity) -> dict[str, Any]:
    header = {k: envelope.fields[k] for k in _HEADER}
    aad = canonical(header)
    try:
        shared = me.agreement.exchange(X25519PublicKey.from_public_bytes(bytes.fromhex(str(header["ephemeral"]))))
        plain = AESGCM(_key(shared, aad)).decrypt(_unb64(envelope.fields["nonce"]), _unb64(envelope.fields["ciphertext"]), aad)
        payload = json.loads(plain)
    except (InvalidTag, ValueError):
        raise BundleRefused(f"bundle from {envelope.sender}: it does not open with this office's key (altered, or made for another key)") from None
    if not isinstance(payload, dict):
        raise BundleRefused(f"bundle from {envelope.sender}: its content is not a bundle's")
    return payload


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    try:
        return base64.b64decode(str(text), validate=True)
    except (binascii.Error, ValueError):
        raise BundleRefused("bundle: a binary field is not valid base64 (truncated or altered)") from None


def b64(data: bytes) -> str:
    return _b64(data)


def unb64(text: Any) -> bytes:
    return _unb64(text)
