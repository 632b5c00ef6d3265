using System.Diagnostics.CodeAnalysis;
using Switchboard.Tls;

namespace Switchboard.Configuration;

/// <summary>The config spelling of <see cref="TlsVersion"/>: "1.2" and "1.3" (also accepted: "TLSv1.2", "tls1.3").</summary>
public static class TlsVersionNames
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out TlsVersion? version)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed.StartsWith("tlsv", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed[4..];
        }
        else if (trimmed.StartsWith("tls", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed[3..];
        }

        version = trimmed switch
        {
            "1.2" => TlsVersion.Tls12,
            "1.3" => TlsVersion.Tls13,
            _ => null,
        };
        return version is not null;
    }

    public static TlsVersion Parse(string text) =>
        TryParse(text, out var version) ? version.Value : throw new FormatException($"unknown TLS version '{text}' (expected \"1.2\" or \"1.3\")");

    public static string Format(TlsVersion version) => version switch
    {
        TlsVersion.Tls12 => "1.2",
        TlsVersion.Tls13 => "1.3",
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, null),
    };
}
