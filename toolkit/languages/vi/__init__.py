"""languages/vi"""
