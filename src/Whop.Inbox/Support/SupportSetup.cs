using Whop.Inbox.Support.Snooze;
using Whop.Inbox.Support.Labels;
using Whop.Inbox.Support.Reports;
using Whop.Inbox.Support.Search;
using Whop.Inbox.Support.WhoIsHere;

namespace Whop.Inbox.Support;

public static class SupportSetup
{
    public static IHostApplicationBuilder AddSupport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SupportChats>();
        builder.Services.AddSingleton<InboxQueries>();
        builder.Services.AddSingleton<Assignment.Assignments>();
        builder.Services.AddSingleton<Assignment.AssignmentSettings>();
        builder.AddSnooze();
        builder.Services.AddSingleton<SupportChatUpdates>();
        builder.Services.AddLabelsAndPriority();
        builder.Services.AddSingleton<SavedReplies.SavedReplyService>();
        builder.Services.AddSingleton<Bulk.BulkActions>();
        builder.Services.AddWhoIsHere();
        builder.Services.AddReports();
        builder.Services.AddSupportSearch();
        return builder;
    }
}
