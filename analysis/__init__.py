"""giaoban: comparative studies of Vietnamese provincial education policy notices.

Data flows one way: corpus files -> documents and passages tables -> tags ->
clusters and comparisons -> figures -> report notebooks -> HTML.
"""

__version__ = "0.1.0"
