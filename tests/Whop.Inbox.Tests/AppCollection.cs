using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests;

/// <summary>Tests that share one running app (and its database) for speed; each leaves the demo data as it found it or works on its own rows.</summary>
[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<InboxApp>
{
    public const string Name = "app";
}
