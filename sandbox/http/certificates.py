"""The sandbox's own certificate authority, and the certificate `serve --tls` answers with.

Some clients take only `https://` (an SDK that builds its URLs from a host name, a FAPI client, a
browser's secure cookies), and an SDK whose base URL cannot be changed at all calls its vendor's host
(hosts.py). `serve --tls` answers them with a certificate that names `localhost`, the loopback
addresses, the host it listens on and every host the served specs name, issued by a certificate
authority the sandbox makes once per data directory (`<data>/tls/ca.pem`): trust that one file
(`SSL_CERT_FILE`, `REQUESTS_CA_BUNDLE`, `NODE_EXTRA_CA_CERTS`, a Java trust store) and every
certificate the sandbox issues later, for new banks too, is trusted. The server's certificate is
issued again whenever the names it must carry change; the authority's key never leaves the data
directory (files readable by their owner only).
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

# The authority lasts ten years: trusted once, it outlives any sandbox. A server certificate lasts
# 397 days, the most a client that checks (Apple's, Chrome's) takes from a trusted authority.
CA_DAYS = 3650
SERVER_DAYS = 397
_LOOPBACK = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class ServerFiles:
    authority: Path  # what a client trusts
    certificate: Path  # the server's chain: its certificate, then the authority's
    key: Path
    names: tuple[str, ...]


def server_files(folder: Path, names: list[str]) -> ServerFiles:
    """The server's certificate and key for `names` (and the loopback names) under `folder`, issued by the
    sandbox's authority there; both made on first use, the server's again when its names change."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = tuple(dict.fromkeys([*_LOOPBACK, *(n.lower() for n in names if n and n not in ("0.0.0.0", "::"))]))
    authority, authority_key = _authority(folder)
    files = ServerFiles(folder / "ca.pem", folder / "server.pem", folder / "server-key.pem", wanted)
    recorded = folder / "server-names.json"
    try:
        current = tuple(json.loads(recorded.read_text(encoding="utf-8"))) == wanted and files.key.exists()
    except (OSError, ValueError):
        current = False
    if not current:
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bank-sandbox")]))
            .issuer_name(authority.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=SERVER_DAYS))
            .add_extension(x509.SubjectAlternativeName([_name(n) for n in wanted]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority_key.public_key()), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(authority_key, hashes.SHA256())
        )
        _write(files.key, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()), private=True)
        _write(files.certificate, certificate.public_bytes(serialization.Encoding.PEM)
               + authority.public_bytes(serialization.Encoding.PEM))
        _write(recorded, json.dumps(list(wanted)).encode())
    return files


def _authority(folder: Path):
    """The sandbox's certificate authority (certificate, key), made on first use."""
    certificate_file, key_file = folder / "ca.pem", folder / "ca-key.pem"
    if certificate_file.exists() and key_file.exists():
        return (x509.load_pem_x509_certificate(certificate_file.read_bytes()),
                serialization.load_pem_private_key(key_file.read_bytes(), password=None))
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "bank-sandbox"),
                      x509.NameAttribute(NameOID.COMMON_NAME, f"bank-sandbox local authority ({folder.resolve().parent.name})")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write(key_file, key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()), private=True)
    _write(certificate_file, certificate.public_bytes(serialization.Encoding.PEM))
    return certificate, key


def _name(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def _write(path: Path, data: bytes, private: bool = False) -> None:
    """Write through a temporary file, so a reader never sees half a key (workers start side by side)."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    os.replace(partial, path)
