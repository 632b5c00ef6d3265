namespace Switchboard.Resumption;

/// <summary>
/// What <see cref="SessionFile.Load"/> found. Either the whole file was valid and <see cref="Contents"/> holds it
/// (minus expired sessions), or <see cref="Contents"/> is empty and <see cref="Warnings"/> says why.
/// </summary>
internal sealed record SessionFileLoad(SessionFileContents Contents, IReadOnlyList<string> Warnings, int ExpiredDropped)
{
    public bool Ignored => Warnings.Count > 0;
}
