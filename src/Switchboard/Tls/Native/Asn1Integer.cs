using System.Runtime.InteropServices;

namespace Switchboard.Tls.Native;

/// <summary>An OpenSSL <c>ASN1_INTEGER*</c> (a certificate's or a CRL entry's serial) as upper-case hex.</summary>
internal static class Asn1Integer
{
    /// <summary>Null when the pointer is null or OpenSSL cannot convert it.</summary>
    public static string? ToHex(IntPtr integer)
    {
        var number = integer == IntPtr.Zero ? IntPtr.Zero : LibCrypto.ASN1_INTEGER_to_BN(integer, IntPtr.Zero);
        if (number == IntPtr.Zero)
        {
            OpenSslError.Clear();
            return null;
        }

        try
        {
            var hex = LibCrypto.BN_bn2hex(number);
            if (hex == IntPtr.Zero)
            {
                return null;
            }

            try
            {
                return Marshal.PtrToStringAnsi(hex);
            }
            finally
            {
                LibCrypto.CRYPTO_free(hex, IntPtr.Zero, 0);
            }
        }
        finally
        {
            LibCrypto.BN_free(number);
        }
    }
}
