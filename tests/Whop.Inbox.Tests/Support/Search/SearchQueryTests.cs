using Whop.Inbox.Messaging;
using Whop.Inbox.Support.Search;

namespace Whop.Inbox.Tests.Support.Search;

/// <summary>The query language, read once for the API and the search box.</summary>
public sealed class SearchQueryTests
{
    [Fact]
    public void Words_phrases_operators_and_negation_are_read_apart()
    {
        var query = Parse("refund \"charged twice\" -spam from:alice -label:billing status:open is:unread is:mine has:attachment before:2026-01-31 after:2025-12-01");
        query.Terms.ShouldBe([
            new SearchTerm("refund", false, false),
            new SearchTerm("charged twice", false, true),
            new SearchTerm("spam", true, false),
        ]);
        query.Filters.Select(f => (f.Operator, f.Value, f.Negated)).ShouldBe([
            (SearchOperator.From, "alice", false),
            (SearchOperator.Label, "billing", true),
            (SearchOperator.Status, "open", false),
            (SearchOperator.IsUnread, "unread", false),
            (SearchOperator.IsMine, "mine", false),
            (SearchOperator.HasAttachment, "attachment", false),
            (SearchOperator.Before, "2026-01-31", false),
            (SearchOperator.After, "2025-12-01", false),
        ]);
        query.Filters.Single(f => f.Operator == SearchOperator.Status).Status.ShouldBe(SupportStatus.Open);
        query.Filters.Single(f => f.Operator == SearchOperator.Before).DayStart.ShouldBe(new DateTimeOffset(2026, 1, 31, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_star_after_a_word_or_a_phrase_makes_a_prefix_and_nothing_else_does()
    {
        Parse("refund recei").Terms.Select(t => t.Prefix).ShouldBe([false, false], "a word as typed is whole, the last one too");
        Parse("refund recei*").Terms.Single(t => t.Prefix).Text.ShouldBe("recei");
        Parse("refu** policy").Terms.Select(t => (t.Text, t.Prefix)).ShouldBe([("refu", true), ("policy", false)]);
        Parse("\"RCPT-882\"* -spam*").Terms.Select(t => (t.Text, t.Phrase, t.Negated, t.Prefix))
            .ShouldBe([("RCPT-882", true, false, true), ("spam", false, true, true)]);
        Parse("a*b refund").Terms.Select(t => (t.Text, t.Prefix)).ShouldBe([("a*b", false), ("refund", false)], "a star inside a word is a symbol");
        Parse("refund recei*").ToString().ShouldBe("refund recei*", "the address keeps the star");
    }

    [Fact]
    public void Operator_values_may_be_quoted_and_text_with_colons_stays_text()
    {
        Parse("from:\"Alice Smith\" hi").Filters.Single().Value.ShouldBe("Alice Smith");
        Parse("https://example.com/x").Terms.Single().Text.ShouldBe("https://example.com/x");
        Parse("meet at 10:30").Terms.Select(t => t.Text).ShouldBe(["meet", "at", "10:30"]);
        Parse("STATUS:Resolved x").Filters.Single().Status.ShouldBe(SupportStatus.Resolved);
    }

    [Fact]
    public void An_unbalanced_quote_runs_to_the_end_and_only_symbols_are_dropped()
    {
        Parse("\"charged twice").Terms.Single().ShouldBe(new SearchTerm("charged twice", false, true));
        Parse("refund !!! ***").Terms.Select(t => t.Text).ShouldBe(["refund"]);
        Parse("NEAR(a b) ^x *").Terms.Select(t => t.Text).ShouldBe(["NEAR(a", "b)", "^x"], "read as words, quoted for the index later");
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("!@#$%^&*()", "nothing to search")]
    [InlineData("\"", "nothing to search")]
    [InlineData("-spam", "only excludes")]
    [InlineData("colour:red", "colour: is not an operator")]
    [InlineData("is:everything", "is:everything is not known")]
    [InlineData("has:pony", "has:pony is not known")]
    [InlineData("status:lost", "status:lost is not known")]
    [InlineData("before:2026-02-30", "not a date")]
    [InlineData("after:yesterday", "not a date")]
    [InlineData("from:", "needs a value")]
    [InlineData("re*", "at least 3 letters or digits")]
    public void A_query_that_cannot_be_read_says_why_naming_query(string text, string reason)
    {
        var parsed = SearchQuery.Parse(text);
        parsed.Failure.ShouldNotBeNull();
        parsed.Failure.Field.ShouldBe("query");
        parsed.Failure.Message.ShouldContain(reason);
    }

    [Fact]
    public void Ten_thousand_characters_and_too_many_words_are_refused()
    {
        SearchQuery.Parse(new string('a', 10_000)).Failure!.Message.ShouldContain("500 characters");
        SearchQuery.Parse(string.Join(' ', Enumerable.Repeat("word", 21))).Failure!.Message.ShouldContain("at most 20");
    }

    [Fact]
    public void The_index_query_quotes_every_term_so_no_user_text_is_syntax()
    {
        var query = Parse("a\"b NEAR -x \"c d\" rcpt-88 a*b");
        SearchIndex.Fts5(query.Wanted, query.Unwanted).ShouldBe("{content} : (\"a\"\"b\" \"NEAR\" \"c d\" \"rcpt-88\" \"a*b\" NOT \"x\")");
        var prefix = Parse("refund recei*");
        SearchIndex.Fts5(prefix.Wanted, prefix.Unwanted, ["feed_Ab1", "feed_\"x"]).ShouldBe("{content} : (\"refund\" \"recei\"*) AND {chat} : (\"Ab1\" OR \"\"\"x\")");
    }

    [Fact]
    public void A_snippet_marks_the_words_found_and_encodes_the_rest()
    {
        var snippet = SearchSnippet.Html("<b>Hi</b> my receipt is RCPT-88213, thanks", Parse("rcpt-88213").Terms);
        snippet.ShouldBe("&lt;b&gt;Hi&lt;/b&gt; my receipt is <mark>RCPT</mark>-<mark>88213</mark>, thanks");
        SearchSnippet.Html("Refunds are slow", Parse("refu*").Terms).ShouldBe("<mark>Refunds</mark> are slow");
        var far = SearchSnippet.Html(string.Join(' ', Enumerable.Repeat("filler", 40)) + " needle at the end", Parse("needle").Terms);
        far.ShouldStartWith("…");
        far.ShouldContain("<mark>needle</mark>");
    }

    private static SearchQuery Parse(string text)
    {
        var parsed = SearchQuery.Parse(text);
        parsed.Failure.ShouldBeNull();
        return parsed.Value!;
    }
}
