using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;
using Switchboard.Resumption;

namespace Switchboard.Configuration;

public static partial class SettingsLoader
{
    /// <summary>
    /// Advice on valid settings that will work, but not as well as the operator probably expects: each names the
    /// setting and why (<c>switchboard check</c> prints them and still exits 0).
    /// </summary>
    public static ImmutableArray<ConfigProblem> Warnings(SwitchboardSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var warnings = ImmutableArray.CreateBuilder<ConfigProblem>();
        var resumption = settings.Resumption;
        if (resumption is { Enabled: true, MaxBytes: { } budget } && settings.Endpoints.Length > 0
            && ExpectedSessionBytes(settings.Tls.Certificate) is { } session)
        {
            var fits = budget / (session + SessionStore<object>.EntryOverhead);
            if (fits < settings.Endpoints.Length)
            {
                warnings.Add(new ConfigProblem(
                    "switchboard.resumption.max-bytes",
                    $"{Sizes.Format(budget)} holds about {fits} sessions of ~{Sizes.Format(session)} (estimated from tls.certificate), " +
                    $"fewer than the {settings.Endpoints.Length} endpoints: after a restart the others pay a full handshake; use auto or at least {Sizes.Format(settings.Endpoints.Length * 2L * (session + SessionStore<object>.EntryOverhead))}"));
            }
        }

        return warnings.ToImmutable();
    }

    /// <summary>
    /// A client session carries both certificates (ours and the peer's, assumed to be of the same kind) and about
    /// half a kilobyte of keys, ticket and lifetimes. Null if the certificate cannot be read.
    /// </summary>
    private static long? ExpectedSessionBytes(string certificatePath)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
            return (2L * certificate.RawData.Length) + 512;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return null;
        }
    }
}
