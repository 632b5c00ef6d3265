using System.Diagnostics;

namespace Switchboard.Bench.Shared;

/// <summary>How to start a child process of this benchmark: a fleet (<c>agents</c>) or a worker.</summary>
internal sealed record ChildCommand(string FileName, IReadOnlyList<string> Prefix)
{
    /// <summary>This benchmark again, the way it was started (apphost or <c>dotnet Switchboard.Bench.dll</c>).</summary>
    public static ChildCommand Self()
    {
        var process = Environment.ProcessPath ?? DotnetHost();
        return IsDotnet(process)
            ? new ChildCommand(process, ["exec", typeof(ChildCommand).Assembly.Location])
            : new ChildCommand(process, []);
    }

    /// <summary>The same command under <c>nice -n</c> (every thread it starts inherits the lower priority; nice execs, so the pid stays).</summary>
    public ChildCommand Niced(int niceness) =>
        niceness == 0 ? this : new ChildCommand("nice", ["-n", niceness.ToString(System.Globalization.CultureInfo.InvariantCulture), FileName, .. Prefix]);

    public ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(FileName) { UseShellExecute = false };
        foreach (var argument in Prefix.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    public string Describe(IEnumerable<string> arguments) =>
        string.Join(' ', new[] { FileName }.Concat(Prefix).Concat(arguments).Select(a => a.Contains(' ') ? $"\"{a}\"" : a));

    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        if (Environment.ProcessPath is { } process && IsDotnet(process))
        {
            return process;
        }

        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, "dotnet")))
        {
            return Path.Combine(root, "dotnet");
        }

        return "dotnet";
    }

    private static bool IsDotnet(string path) =>
        Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
}
