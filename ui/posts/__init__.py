"""The Posts tab: several roles advertised in one campaign, one annex each in the pack."""

from ui.posts.tab import POSTS, PostsTab

__all__ = ["POSTS", "PostsTab"]
