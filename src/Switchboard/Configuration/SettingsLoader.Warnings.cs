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

        var now = DateTime.UtcNow;
        foreach (var (what, path, until) in Expiries(settings))
        {
            if (until <= now)
            {
                warnings.Add(new ConfigProblem(path, what == "crl"
                    ? $"the CRL is past its nextUpdate ({until:yyyy-MM-dd HH:mm} UTC): revocations since are unknown; it is set aside, or with crl-required = on every handshake fails"
                    : $"expired on {until:yyyy-MM-dd HH:mm} UTC"));
            }
            else if (until - now <= settings.Tls.ExpiryWarning)
            {
                warnings.Add(new ConfigProblem(path, $"{(what == "crl" ? "the CRL's nextUpdate" : "expires")} in {(until - now).TotalDays:F1} days ({until:yyyy-MM-dd HH:mm} UTC)"));
            }
        }

        return warnings.ToImmutable();
    }

    /// <summary>
    /// When our certificate, the CAs we trust and the CRL run out (<c>switchboard check</c> prints them): what
    /// ("certificate", "ca", "crl"), the setting's path, and the time. Files that cannot be read are left out.
    /// </summary>
    public static IReadOnlyList<(string What, string Path, DateTime UntilUtc)> Expiries(SwitchboardSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var expiries = new List<(string, string, DateTime)>();
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(settings.Tls.Certificate));
            expiries.Add(("certificate", "switchboard.tls.certificate", certificate.NotAfter.ToUniversalTime()));
            var bundle = new X509Certificate2Collection();
            bundle.ImportFromPemFile(settings.Tls.Ca);
            foreach (var ca in bundle)
            {
                expiries.Add(("ca", "switchboard.tls.ca", ca.NotAfter.ToUniversalTime()));
                ca.Dispose();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
        }

        if (settings.Tls.Crl is { } crlPath)
        {
            try
            {
                using var crl = Switchboard.Tls.CrlFile.Load(crlPath);
                if (crl.NextUpdateUtc is { } next)
                {
                    expiries.Add(("crl", "switchboard.tls.crl", next));
                }
            }
            catch (Switchboard.Tls.TlsConfigurationException)
            {
            }
        }

        return expiries;
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
