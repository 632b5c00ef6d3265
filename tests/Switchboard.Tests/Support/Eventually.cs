namespace Switchboard.Tests.Support;

/// <summary>
/// <c>AwaitAssertAsync</c> for specs that are not a TestKit (they drive processes, files or raw sockets, with
/// no actor system of their own): retries an assertion until it passes, and on timeout rethrows its last
/// failure, so the message says what was last seen. TestKit specs use the TestKit's own.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public static async Task AssertAsync(Func<Task> assertion, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(Interval);
            }
        }
    }

    public static Task AssertAsync(Action assertion, TimeSpan within) =>
        AssertAsync(() =>
        {
            assertion();
            return Task.CompletedTask;
        }, within);
}
