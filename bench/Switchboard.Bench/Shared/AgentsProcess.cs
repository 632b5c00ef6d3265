using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Bench.Shared;

/// <summary>
/// One <c>switchboard agents</c> process: the whole fleet, or one slice of it (<see cref="FleetProcess"/>).
/// Ready when it prints <c>ready N</c>; stopped with SIGTERM, killed 10 s later if still alive.
/// SIGUSR2 makes it print <c>received N</c>, the application frames its agents received so far.
/// </summary>
internal sealed class AgentsProcess : IAsyncDisposable
{
    private const int MaxLoggedLine = 300;
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _lastErrors = new();
    private readonly TextWriter _log;
    private readonly object _receivedGate = new();
    private TaskCompletionSource<long> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AgentsProcess(Process process, TextWriter log)
    {
        _process = process;
        _log = log;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string CommandLine { get; private init; } = string.Empty;

    /// <param name="count">Agents this process runs (a slice's size when <paramref name="extraArguments"/> has --shard).</param>
    /// <param name="fleetSize">The whole fleet's --count.</param>
    /// <param name="extraArguments">Appended to the <c>agents</c> command line, e.g. <c>--fault stall --fault-share 0.1</c>.</param>
    public static async Task<AgentsProcess> StartAsync(ChildCommand cli, string pkiDirectory, int count, int fleetSize, int port, TimeSpan readyTimeout, TextWriter log,
        IReadOnlyList<string>? extraArguments = null)
    {
        string[] arguments = ["agents", "--certs", pkiDirectory, "--count", fleetSize.ToString(CultureInfo.InvariantCulture), "--port", port.ToString(CultureInfo.InvariantCulture),
            .. extraArguments ?? []];
        var info = cli.StartInfo(arguments);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = true; // never let the fleet read the benchmark's terminal
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var fleet = new AgentsProcess(process, log) { CommandLine = cli.Describe(arguments) };
        process.OutputDataReceived += (_, e) => fleet.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => fleet.OnError(e.Data);
        process.Exited += (_, _) => fleet._ready.TrySetException(new InvalidOperationException(
            $"the fleet exited with code {SafeExitCode(process)} before it was ready: {string.Join(" | ", fleet.LastErrors())}"));
        log.WriteLine($"fleet: starting: {fleet.CommandLine}");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var stopwatch = Stopwatch.StartNew();
        try
        {
            var ready = await fleet._ready.Task.WaitAsync(readyTimeout);
            if (ready != count)
            {
                throw new InvalidOperationException($"the fleet reported 'ready {ready}', expected {count}");
            }
        }
        catch (TimeoutException)
        {
            await fleet.DisposeAsync();
            throw new TimeoutException($"the fleet did not print 'ready {count}' within {readyTimeout.TotalSeconds:F0} s: {string.Join(" | ", fleet.LastErrors())}");
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }

        log.WriteLine($"fleet: {count} agents ready in {stopwatch.Elapsed.TotalSeconds:F1} s (pid {process.Id}, port {port})");
        return fleet;
    }

    /// <summary>
    /// Application frames the agents have received so far: SIGUSR2, then the next <c>received N</c> line.
    /// Checks first that the fleet handles SIGUSR2 (its default action kills the process).
    /// </summary>
    /// <exception cref="InvalidOperationException">The fleet does not handle SIGUSR2 or the signal could not be sent.</exception>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/>.</exception>
    public async Task<long> ReceivedAsync(TimeSpan timeout)
    {
        if (!FleetSignal.Catches(_process.Id, Libc.Sigusr2))
        {
            throw new InvalidOperationException($"the fleet (pid {_process.Id}) does not handle SIGUSR2, so it cannot report the frames it received (a `switchboard agents` older than the faults benchmark?)");
        }

        Task<long> answer;
        lock (_receivedGate)
        {
            answer = _received.Task;
        }

        if (Libc.Kill(_process.Id, Libc.Sigusr2) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGUSR2) failed");
        }

        try
        {
            return await answer.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the fleet did not answer SIGUSR2 with 'received N' within {timeout.TotalSeconds:F0} s");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _ = Libc.Kill(_process.Id, Libc.Sigterm);
                using var grace = new CancellationTokenSource(StopGrace);
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    _log.WriteLine($"fleet: did not stop within {StopGrace.TotalSeconds:F0} s of SIGTERM; killing it");
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith("ready ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(6), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ready))
        {
            _ready.TrySetResult(ready);
            return;
        }

        if (line.StartsWith("received ", StringComparison.Ordinal) && long.TryParse(line.AsSpan(9), NumberStyles.Integer, CultureInfo.InvariantCulture, out var received))
        {
            // Answers every waiter that asked before this line; later askers wait for the next one.
            TaskCompletionSource<long> answered;
            lock (_receivedGate)
            {
                answered = _received;
                _received = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            answered.TrySetResult(received);
            return;
        }

        // The "faulty" line names every faulty agent: a thousand names at 10,000 endpoints.
        _log.WriteLine(line.Length <= MaxLoggedLine ? $"[fleet] {line}" : $"[fleet] {line[..MaxLoggedLine]}… ({line.Length} characters)");
    }

    private void OnError(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastErrors)
        {
            _lastErrors.Enqueue(line);
            while (_lastErrors.Count > 5)
            {
                _lastErrors.Dequeue();
            }
        }

        _log.WriteLine($"[fleet] {line}");
    }

    private string[] LastErrors()
    {
        lock (_lastErrors)
        {
            return [.. _lastErrors];
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }
}
