using Whop.Inbox.Components.Shared;

namespace Whop.Inbox.Tests.Components;

public sealed class LiveListCycleTests
{
    [Fact]
    public async Task Of_two_loads_at_once_the_later_one_is_kept_whichever_answers_last()
    {
        var earlier = new TaskCompletionSource();
        var later = new TaskCompletionSource();
        var gates = new Queue<TaskCompletionSource>([earlier, later]);
        var started = 0;
        string? shown = null;
        using var cycle = new LiveListCycle(work => work(), async isNewest =>
        {
            var mine = ++started;
            await gates.Dequeue().Task;
            if (isNewest()) shown = $"load {mine}";
        }, _ => false, () => { });

        // A filter changed twice quickly: the second load answers first, the first one last.
        var first = cycle.ReloadAsync();
        var second = cycle.ReloadAsync();
        later.SetResult();
        await second;
        earlier.SetResult();
        await first;

        shown.ShouldBe("load 2");
    }
}
