namespace Switchboard.Tls.Native;

/// <summary>An OpenSSL <c>ASN1_TIME*</c> (a certificate's NotAfter, a CRL's nextUpdate) as a UTC time.</summary>
internal static unsafe class Asn1Time
{
    /// <summary>Null when the pointer is null or OpenSSL cannot read the time.</summary>
    public static DateTime? ToUtc(IntPtr time)
    {
        int days, seconds;
        if (time == IntPtr.Zero || LibCrypto.ASN1_TIME_diff(&days, &seconds, IntPtr.Zero, time) != 1)
        {
            return null;
        }

        // ASN1_TIME_diff measures from now; such times have whole seconds, so drop now's fraction.
        var now = DateTime.UtcNow;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc).AddDays(days).AddSeconds(seconds);
    }
}
