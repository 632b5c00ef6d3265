using System.Text;
using Switchboard.Configuration;
using Switchboard.Tls.Native;

namespace Switchboard.Tls;

/// <summary>
/// A peer's identity as Switchboard names it: the first SAN DNS name, else the subject CN. Read natively
/// from the <c>X509*</c> OpenSSL already parsed (no re-parse of the DER).
/// </summary>
internal static unsafe class PeerIdentity
{
    public static string? Of(IntPtr certificate)
    {
        if (certificate == IntPtr.Zero)
        {
            return null;
        }
        return FirstDnsName(certificate) ?? CommonName(certificate);
    }

    /// <summary>When <paramref name="certificate"/> stops being valid; null if OpenSSL cannot read its NotAfter.</summary>
    public static DateTime? NotAfterUtc(IntPtr certificate) => Asn1Time.ToUtc(LibCrypto.X509_get0_notAfter(certificate));

    /// <summary>The certificate's serial number in upper-case hex, as a CRL entry names it; null if unreadable.</summary>
    public static string? Serial(IntPtr certificate) => Asn1Integer.ToHex(LibCrypto.X509_get0_serialNumber(certificate));

    /// <summary>
    /// True when <paramref name="certificate"/> names <paramref name="endpoint"/>: an IP-literal name by an iPAddress
    /// SAN only, any other name by SAN DNS, else CN (RFC 6125). The split is OpenSSL's own (<c>SSL_set1_host</c>
    /// verifies an IP literal as an address), so the full handshake's check and this one never disagree.
    /// </summary>
    public static bool Matches(IntPtr certificate, string endpoint)
    {
        if (HostNames.IsIpLiteral(endpoint))
        {
            return LibCrypto.X509_check_ip_asc(certificate, endpoint, 0) == 1;
        }

        var count = Encoding.UTF8.GetByteCount(endpoint);
        Span<byte> name = count <= 256 ? stackalloc byte[count] : new byte[count];
        Encoding.UTF8.GetBytes(endpoint, name);
        fixed (byte* p = name)
        {
            return LibCrypto.X509_check_host(certificate, p, (nuint)count, LibSsl.X509CheckFlagNoPartialWildcards, IntPtr.Zero) == 1;
        }
    }

    private static string? FirstDnsName(IntPtr certificate)
    {
        var names = LibCrypto.X509_get_ext_d2i(certificate, LibCrypto.NidSubjectAltName, IntPtr.Zero, IntPtr.Zero);
        if (names == IntPtr.Zero)
        {
            return null;
        }
        try
        {
            var count = LibCrypto.OPENSSL_sk_num(names);
            for (var i = 0; i < count; i++)
            {
                // GENERAL_NAME is { int type; union { ASN1_IA5STRING *dNSName; ... } d; }: the union,
                // a pointer, sits at pointer alignment after the int.
                var generalName = LibCrypto.OPENSSL_sk_value(names, i);
                if (generalName == IntPtr.Zero || *(int*)generalName != LibCrypto.GeneralNameDns)
                {
                    continue;
                }
                var value = *(IntPtr*)((byte*)generalName + IntPtr.Size);
                var data = LibCrypto.ASN1_STRING_get0_data(value);
                var length = LibCrypto.ASN1_STRING_length(value);
                if (data != IntPtr.Zero && length > 0)
                {
                    return Encoding.ASCII.GetString((byte*)data, length);
                }
            }
            return null;
        }
        finally
        {
            LibCrypto.GENERAL_NAMES_free(names);
        }
    }

    private static string? CommonName(IntPtr certificate)
    {
        var subject = LibCrypto.X509_get_subject_name(certificate);
        if (subject == IntPtr.Zero)
        {
            return null;
        }
        var buffer = stackalloc byte[256];
        var length = LibCrypto.X509_NAME_get_text_by_NID(subject, LibCrypto.NidCommonName, buffer, 256);
        return length > 0 ? Encoding.UTF8.GetString(buffer, length) : null;
    }
}
