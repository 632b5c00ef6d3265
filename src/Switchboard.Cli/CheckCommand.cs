using Switchboard.Configuration;
using Switchboard.Testing;

namespace Switchboard.Cli;

/// <summary>
/// <c>check --config FILE</c>: validates a config without connecting. Exit 0 with a one-line summary, or
/// exit 2 with every problem as <c>PATH: message</c> on stderr (a missing file or a HOCON syntax error
/// included), so a script can show the operator all of them at once.
/// </summary>
internal static class CheckCommand
{
    public const int Invalid = 2;

    public static int Run(string path)
    {
        var result = SettingsLoader.ReadFile(path);
        if (!result.IsValid)
        {
            foreach (var problem in result.Problems)
            {
                Console.Error.WriteLine(problem.ToString());
            }

            return Invalid;
        }

        foreach (var warning in SettingsLoader.Warnings(result.Settings!))
        {
            Console.Error.WriteLine($"warning: {warning}");
        }

        Console.Out.WriteLine(Summary(result.Settings!));
        foreach (var (what, _, until) in SettingsLoader.Expiries(result.Settings!))
        {
            var left = until - DateTime.UtcNow;
            var label = what switch { "crl" => "crl next update", "ca" => "ca valid until", _ => "certificate valid until" };
            Console.Out.WriteLine($"{label} {until:yyyy-MM-dd HH:mm} UTC ({(left > TimeSpan.Zero ? $"{left.TotalDays:F0} days left" : "PASSED")})");
        }

        return 0;
    }

    internal static string Summary(SwitchboardSettings settings)
    {
        var count = settings.Endpoints.Length;
        var tls = settings.Tls.MinVersion == settings.Tls.MaxVersion
            ? TlsVersionNames.Format(settings.Tls.MinVersion)
            : $"{TlsVersionNames.Format(settings.Tls.MinVersion)}–{TlsVersionNames.Format(settings.Tls.MaxVersion)}";
        var resumption = settings.Resumption switch
        {
            { Enabled: false } => "resumption off",
            { PersistPath: { } file } => $"resumption persisted to {file}",
            _ => "resumption in memory",
        };
        var listener = settings.Listener.Host is { } host ? $", listening on {host}:{settings.Listener.Port}" : string.Empty;
        return $"ok: {count} endpoint{(count == 1 ? string.Empty : "s")}, tls {tls}, {resumption}{listener}";
    }
}
