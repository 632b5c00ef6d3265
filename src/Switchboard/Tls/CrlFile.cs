using System.Security.Cryptography;
using Switchboard.Tls.Native;

namespace Switchboard.Tls;

/// <summary>
/// A certificate revocation list file (<c>tls.crl</c>): one CRL or a bundle, PEM ("X509 CRL" blocks) or a single
/// DER CRL. Parsed by OpenSSL itself, so what <c>check</c> accepts is exactly what the handshakes will use.
/// </summary>
internal sealed unsafe class CrlFile : IDisposable
{
    private readonly List<IntPtr> _crls;

    private CrlFile(List<IntPtr> crls, DateTime? nextUpdateUtc)
    {
        _crls = crls;
        NextUpdateUtc = nextUpdateUtc;
    }

    public int Count => _crls.Count;

    /// <summary>The earliest nextUpdate of the CRLs in the file: past it, the list is stale. Null when none says.</summary>
    public DateTime? NextUpdateUtc { get; }

    public bool IsExpired(DateTime nowUtc) => NextUpdateUtc is { } next && next <= nowUtc;

    /// <summary>Every serial (hex) the lists revoke, to close live links a reload finds revoked.</summary>
    public IReadOnlySet<string> RevokedSerials()
    {
        var serials = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var crl in _crls)
        {
            var revoked = LibCrypto.X509_CRL_get_REVOKED(crl);
            var count = revoked == IntPtr.Zero ? 0 : LibCrypto.OPENSSL_sk_num(revoked);
            for (var i = 0; i < count; i++)
            {
                if (Asn1Integer.ToHex(LibCrypto.X509_REVOKED_get0_serialNumber(LibCrypto.OPENSSL_sk_value(revoked, i))) is { } serial)
                {
                    serials.Add(serial);
                }
            }
        }

        return serials;
    }

    /// <exception cref="TlsConfigurationException">The file cannot be read or holds no CRL OpenSSL can parse.</exception>
    public static CrlFile Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TlsConfigurationException($"cannot read CRL '{path}': {e.Message}");
        }

        var ders = DerBlocks(bytes);
        var crls = new List<IntPtr>();
        DateTime? next = null;
        try
        {
            foreach (var der in ders)
            {
                fixed (byte* start = der)
                {
                    var cursor = start;
                    var crl = LibCrypto.d2i_X509_CRL(IntPtr.Zero, &cursor, der.Length);
                    if (crl == IntPtr.Zero)
                    {
                        throw new TlsConfigurationException($"cannot load CRL '{path}': {OpenSslError.TakeText("not a certificate revocation list")}");
                    }

                    crls.Add(crl);
                    if (NextUpdate(crl) is { } update && (next is null || update < next))
                    {
                        next = update;
                    }
                }
            }
        }
        catch
        {
            crls.ForEach(LibCrypto.X509_CRL_free);
            throw;
        }

        if (crls.Count == 0)
        {
            throw new TlsConfigurationException($"cannot load CRL '{path}': no -----BEGIN X509 CRL----- block and not a DER CRL");
        }

        return new CrlFile(crls, next);
    }

    /// <summary>Adds every CRL to the store (which takes its own references) and turns revocation checks on.</summary>
    public void InstallInto(IntPtr store)
    {
        foreach (var crl in _crls)
        {
            if (LibCrypto.X509_STORE_add_crl(store, crl) != 1)
            {
                OpenSslError.Clear();
            }
        }

        // One CRL covers the CA that issues the agents; a bundle covers intermediates too, so check the whole chain.
        var flags = _crls.Count > 1 ? LibCrypto.X509VFlagCrlCheck | LibCrypto.X509VFlagCrlCheckAll : LibCrypto.X509VFlagCrlCheck;
        LibCrypto.X509_STORE_set_flags(store, flags);
    }

    public void Dispose()
    {
        _crls.ForEach(LibCrypto.X509_CRL_free);
        _crls.Clear();
    }

    private static List<byte[]> DerBlocks(byte[] bytes)
    {
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        if (!text.Contains("-----BEGIN X509 CRL-----", StringComparison.Ordinal))
        {
            return [bytes];
        }

        var blocks = new List<byte[]>();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (rest[fields.Label].SequenceEqual("X509 CRL"))
            {
                blocks.Add(Convert.FromBase64String(rest[fields.Base64Data].ToString()));
            }

            rest = rest[fields.Location.End..];
        }

        return blocks;
    }

    private static DateTime? NextUpdate(IntPtr crl) => Asn1Time.ToUtc(LibCrypto.X509_CRL_get0_nextUpdate(crl));
}
