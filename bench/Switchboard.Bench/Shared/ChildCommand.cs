using System.Diagnostics;

namespace Switchboard.Bench.Shared;

/// <summary>How to start the two kinds of child process: the built CLI (the fleet) and this benchmark again (a worker).</summary>
internal sealed record ChildCommand(string FileName, IReadOnlyList<string> Prefix)
{
    /// <summary>
    /// The CLI this benchmark was built against: its dll is copied next to ours by the project reference.
    /// It runs with its own runtimeconfig when that was copied too, otherwise with ours (same framework,
    /// and our deps.json lists everything the CLI needs).
    /// </summary>
    public static ChildCommand Cli(string? cliDll)
    {
        var dll = Path.GetFullPath(cliDll ?? Path.Combine(AppContext.BaseDirectory, "Switchboard.Cli.dll"));
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"the Switchboard CLI was not found at {dll} (build the solution, or pass --cli PATH/Switchboard.Cli.dll)");
        }

        var host = DotnetHost();
        if (File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")))
        {
            return new ChildCommand(host, ["exec", dll]);
        }

        var self = typeof(ChildCommand).Assembly.Location;
        return new ChildCommand(host, ["exec", "--runtimeconfig", Path.ChangeExtension(self, ".runtimeconfig.json"),
            "--depsfile", Path.ChangeExtension(self, ".deps.json"), dll]);
    }

    /// <summary>This benchmark again, the way it was started (apphost or <c>dotnet Switchboard.Bench.dll</c>).</summary>
    public static ChildCommand Self()
    {
        var process = Environment.ProcessPath ?? DotnetHost();
        return IsDotnet(process)
            ? new ChildCommand(process, ["exec", typeof(ChildCommand).Assembly.Location])
            : new ChildCommand(process, []);
    }

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
