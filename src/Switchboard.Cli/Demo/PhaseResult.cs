namespace Switchboard.Cli.Demo;

/// <summary>One row of the demo's table.</summary>
internal sealed record PhaseResult(
    string Phase,
    int Endpoints,
    int Connected,
    TimeSpan Elapsed,
    long FullHandshakes,
    long ResumedHandshakes,
    long Timeouts,
    long Failures,
    double CpuSeconds)
{
    public double ResumedShare => FullHandshakes + ResumedHandshakes == 0 ? 0 : (double)ResumedHandshakes / (FullHandshakes + ResumedHandshakes);
}
