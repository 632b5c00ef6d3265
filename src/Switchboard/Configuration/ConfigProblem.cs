namespace Switchboard.Configuration;

/// <summary>One thing wrong with a config: the HOCON path (or the file) and what is wrong there.</summary>
/// <param name="Path">e.g. <c>switchboard.endpoints[3].port</c>, or a file path for a file that cannot be read or parsed.</param>
public sealed record ConfigProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
