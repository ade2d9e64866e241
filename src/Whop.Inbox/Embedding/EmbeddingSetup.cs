using Whop.Inbox.Embedding.DemoHost;
using Whop.Inbox.Identity;

namespace Whop.Inbox.Embedding;

/// <summary>The chat and DMs-list elements other apps embed: framing rules, token reading, the origins API (mapped with the rest of the API), the demo host.</summary>
public static class EmbeddingSetup
{
    public static IHostApplicationBuilder AddEmbedding(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmbeddingOptions>().BindConfiguration(EmbeddingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<EmbedSettings>();
        builder.Services.AddSingleton<EmbedCredentials>();
        builder.Services.AddHostedService<DemoHost.DemoHost>();
        return builder;
    }
}
