namespace Whop.Inbox.Support;

public static class SupportSetup
{
    public static IHostApplicationBuilder AddSupport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SupportChats>();
        builder.Services.AddSingleton<InboxQueries>();
        builder.Services.AddSingleton<Assignment.Assignments>();
        builder.Services.AddSingleton<Assignment.AssignmentSettings>();
        builder.Services.AddSingleton<Bulk.BulkActions>();
        return builder;
    }
}
