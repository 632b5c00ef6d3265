using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Switchboard.Tls;

namespace Switchboard.Configuration;

/// <summary>
/// <c>switchboard.tls</c>. The PEM files are opened here, once, so a wrong path, a key that does not
/// belong to the certificate or an empty CA bundle is a config problem named by its key, found by
/// <c>check</c>, rather than a handshake failure on every endpoint later.
/// </summary>
public static partial class SettingsLoader
{
    private const string TlsPath = "switchboard.tls";

    private static TlsSettings ReadTls(ConfigReader reader, FileResolver files)
    {
        var ca = ReadPemPath(reader, files, $"{TlsPath}.ca");
        var certificate = ReadPemPath(reader, files, $"{TlsPath}.certificate");
        var privateKey = ReadPemPath(reader, files, $"{TlsPath}.private-key");

        if (ca is not null)
        {
            CheckCaBundle(reader, ca);
        }

        if (certificate is not null && privateKey is not null)
        {
            CheckCertificateAndKey(reader, certificate, privateKey);
        }

        var min = ReadTlsVersion(reader, $"{TlsPath}.min-version");
        var max = ReadTlsVersion(reader, $"{TlsPath}.max-version");
        if (min is not null && max is not null && min > max)
        {
            reader.Problem($"{TlsPath}.min-version", $"{TlsVersionNames.Format(min.Value)} is above max-version {TlsVersionNames.Format(max.Value)}");
        }

        var keyExchangeKey = $"{TlsPath}.tls13-resumption-key-exchange";
        var keyExchange = reader.Text(keyExchangeKey);
        var allowPskWithoutDhe = false;
        switch (keyExchange?.Trim())
        {
            case null or "psk_dhe_ke":
                break;
            case "psk_ke":
                allowPskWithoutDhe = true;
                break;
            default:
                reader.Problem(keyExchangeKey, $"must be \"psk_dhe_ke\" or \"psk_ke\", got '{keyExchange}'");
                break;
        }

        var crl = ReadCrl(reader, files);
        return new TlsSettings(
            ca ?? string.Empty,
            certificate ?? string.Empty,
            privateKey ?? string.Empty,
            min ?? TlsVersion.Tls12,
            max ?? TlsVersion.Tls13,
            allowPskWithoutDhe,
            crl,
            reader.Bool($"{TlsPath}.crl-required"),
            reader.Duration($"{TlsPath}.expiry-warning", TimeSpan.FromDays(3650)),
            reader.Duration($"{TlsPath}.crl-check-interval", TimeSpan.FromDays(1)));
    }

    /// <summary>Optional: "" means no revocation list. A given one must load the way the handshakes will load it.</summary>
    private static string? ReadCrl(ConfigReader reader, FileResolver files)
    {
        var key = $"{TlsPath}.crl";
        if (string.IsNullOrWhiteSpace(reader.Text(key)))
        {
            return null;
        }

        var path = ReadPemPath(reader, files, key);
        if (path is null)
        {
            return null;
        }

        try
        {
            CrlFile.Load(path).Dispose();
        }
        catch (TlsConfigurationException e)
        {
            reader.Problem(key, e.Message);
        }

        return path;
    }

    private static TlsVersion? ReadTlsVersion(ConfigReader reader, string key)
    {
        var text = reader.Text(key);
        if (text is null)
        {
            return null;
        }

        if (TlsVersionNames.TryParse(text, out var version))
        {
            return version;
        }

        reader.Problem(key, $"unknown TLS version '{text}' (expected \"1.2\" or \"1.3\")");
        return null;
    }

    /// <summary>The resolved path of a required, existing file; null (with a problem) otherwise.</summary>
    private static string? ReadPemPath(ConfigReader reader, FileResolver files, string key)
    {
        var written = reader.Text(key);
        if (written is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(written))
        {
            reader.Problem(key, "required (path to a PEM file)");
            return null;
        }

        var resolved = files.Resolve(written);
        if (Directory.Exists(resolved))
        {
            reader.Problem(key, $"is a directory, expected a PEM file: {files.Describe(written, resolved)}");
            return null;
        }

        if (!File.Exists(resolved))
        {
            reader.Problem(key, $"file not found: {files.Describe(written, resolved)}");
            return null;
        }

        return resolved;
    }

    private static void CheckCaBundle(ConfigReader reader, string path)
    {
        var key = $"{TlsPath}.ca";
        try
        {
            var bundle = new X509Certificate2Collection();
            bundle.ImportFromPemFile(path);
            if (bundle.Count == 0)
            {
                reader.Problem(key, $"no PEM certificate (-----BEGIN CERTIFICATE-----) in {path}");
            }

            foreach (var certificate in bundle)
            {
                certificate.Dispose();
            }
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            reader.Problem(key, $"cannot read the CA bundle {path}: {e.Message}");
        }
    }

    private static void CheckCertificateAndKey(ConfigReader reader, string certificatePath, string keyPath)
    {
        if (Switchboard.Tls.PrivateKeyFile.Problem(keyPath) is { } exposed)
        {
            reader.Problem($"{TlsPath}.private-key", exposed);
        }

        string certificatePem;
        string keyPem;
        try
        {
            certificatePem = File.ReadAllText(certificatePath);
            keyPem = File.ReadAllText(keyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reader.Problem($"{TlsPath}.certificate", $"cannot read {certificatePath} or {keyPath}: {e.Message}");
            return;
        }

        try
        {
            X509Certificate2.CreateFromPem(certificatePem).Dispose();
        }
        catch (CryptographicException e)
        {
            reader.Problem($"{TlsPath}.certificate", $"not a PEM certificate: {certificatePath} ({e.Message})");
            return;
        }

        try
        {
            // Pairs the key with the certificate's public key: throws for a key of another certificate.
            X509Certificate2.CreateFromPem(certificatePem, keyPem).Dispose();
        }
        catch (ArgumentException)
        {
            reader.Problem($"{TlsPath}.private-key", $"{keyPath} is not the private key of the certificate {certificatePath}");
        }
        catch (CryptographicException e)
        {
            reader.Problem($"{TlsPath}.private-key", $"not a readable PEM private key (unencrypted EC or RSA): {keyPath} ({e.Message})");
        }
    }
}
