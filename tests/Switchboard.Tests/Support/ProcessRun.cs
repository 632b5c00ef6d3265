using System.Diagnostics;
using System.Text;

namespace Switchboard.Tests.Support;

/// <summary>Runs a process to completion with a deadline, feeding stdin and capturing both outputs.</summary>
internal static class ProcessRun
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + "\n" + Stderr;
    }

    public static async Task<Result> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, byte[]? stdin = null, TimeSpan? holdStdinOpen = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin);
            await process.StandardInput.BaseStream.FlushAsync();
        }

        if (holdStdinOpen is { } hold)
        {
            // openssl s_client ends the connection at stdin EOF; give the peer time to answer first.
            await Task.Delay(hold);
        }

        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}: {await stdout}{await stderr}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The <c>switchboard</c> CLI, as built next to the tests.</summary>
    public static Task<Result> SwitchboardAsync(TimeSpan timeout, params string[] arguments) =>
        RunAsync("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "Switchboard.Cli.dll") }.Concat(arguments), timeout);

    public static Task<Result> OpenSslClientAsync(IEnumerable<string> arguments, byte[]? stdin = null, TimeSpan? hold = null) =>
        RunAsync("openssl", new[] { "s_client" }.Concat(arguments), TimeSpan.FromSeconds(20), stdin, hold ?? TimeSpan.FromMilliseconds(500));

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
