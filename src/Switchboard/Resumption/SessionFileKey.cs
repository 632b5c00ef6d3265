using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Resumption;

/// <summary>
/// The key that seals the session file (AES-256-GCM), derived from the master's own private key with HKDF, so
/// there is no new secret to keep: whoever can read the private key can read the sessions anyway, and a file
/// copied to another master, or edited by anyone without the key, fails its seal (architecture §10).
/// </summary>
internal sealed class SessionFileKey
{
    public const int Length = 32;

    private static readonly byte[] Label = Encoding.ASCII.GetBytes("switchboard session file v2");

    private readonly byte[] _key;

    private SessionFileKey(byte[] key) => _key = key;

    public ReadOnlySpan<byte> Bytes => _key;

    /// <summary>From secret bytes (the private key's DER); for tests, any bytes.</summary>
    public static SessionFileKey Derive(ReadOnlySpan<byte> secret) =>
        new(HKDF.DeriveKey(HashAlgorithmName.SHA256, secret.ToArray(), Length, salt: null, info: Label));

    /// <summary>
    /// From the PEM private-key file the TLS settings name: the DER of its first key block, whatever the
    /// algorithm. Throws <see cref="IOException"/> or <see cref="InvalidDataException"/> naming the file.
    /// </summary>
    public static SessionFileKey FromPrivateKeyFile(string path)
    {
        var pem = File.ReadAllText(path);
        foreach (var label in (ReadOnlySpan<string>)["PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"])
        {
            var begin = pem.IndexOf($"-----BEGIN {label}-----", StringComparison.Ordinal);
            if (begin < 0)
            {
                continue;
            }

            if (PemEncoding.TryFind(pem.AsSpan(begin), out var fields))
            {
                var der = Convert.FromBase64String(pem.AsSpan(begin)[fields.Base64Data].ToString());
                try
                {
                    return Derive(der);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(der);
                }
            }
        }

        throw new InvalidDataException($"{path}: no PEM private key to seal the session file with");
    }
}
