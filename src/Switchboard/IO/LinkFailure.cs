namespace Switchboard.IO;

/// <summary>A cause for metrics and decisions, and a sentence for people.</summary>
internal sealed record LinkFailure(LinkFailureCause Cause, string Reason)
{
    public override string ToString() => $"{Cause.Tag()}: {Reason}";
}
