using System.Runtime.InteropServices;

namespace Switchboard.Tls.Native;

/// <summary>
/// Reads OpenSSL's per-thread error queue. Callers clear it before a call and read it right after a
/// failure on the same thread (architecture §8), so the first entry is the cause of that failure.
/// </summary>
internal static class OpenSslError
{
    public static void Clear() => LibCrypto.ERR_clear_error();

    /// <summary>The oldest queued error (the cause), draining the rest; 0 when the queue is empty.</summary>
    public static nuint Take()
    {
        var first = LibCrypto.ERR_get_error();
        if (first != 0)
        {
            // Bounded: the queue holds at most 16 entries.
            for (var i = 0; i < 64 && LibCrypto.ERR_get_error() != 0; i++)
            {
            }
        }
        return first;
    }

    public static bool IsSystemError(nuint code) => (code & (1u << 31)) != 0;

    public static int Library(nuint code) => IsSystemError(code) ? 2 : (int)((code >> 23) & 0xFF);

    public static int Reason(nuint code) => IsSystemError(code) ? (int)(code & 0x7FFFFFFF) : (int)(code & 0x7FFFFF);

    public static string ReasonText(nuint code)
    {
        if (IsSystemError(code))
        {
            return $"system error {Reason(code)}";
        }
        return Utf8(LibCrypto.ERR_reason_error_string(code)) ?? $"OpenSSL error 0x{code:x}";
    }

    /// <summary>Text of the oldest queued error, or <paramref name="fallback"/> when the queue is empty.</summary>
    public static string TakeText(string fallback)
    {
        var code = Take();
        return code == 0 ? fallback : ReasonText(code);
    }

    public static string VerifyErrorText(nint verifyResult) =>
        Utf8(LibCrypto.X509_verify_cert_error_string(verifyResult)) ?? $"verify error {verifyResult}";

    public static string? Utf8(IntPtr text) => text == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(text);
}
